export * from './model-server/index.js';
export { runDemo } from './run-demo.js';
export type { DemoOptions, DemoSummary } from './run-demo.js';
export { planSession, AGENT_KINDS } from './scenario/session-plan.js';
export type { AgentKind, SessionPlan } from './scenario/session-plan.js';
