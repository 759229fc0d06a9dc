export type { TraceEdit, StartWithEdit, ShortenEdit, StreamEdit } from './trace-edit.js';
export { applyEdits } from './apply-edits.js';
export { projectTrace, projectSaving, type ProjectedSaving } from './project-trace.js';
export { projectWindow, type ProjectedPair } from './project-window.js';
