import { uxBandDefinition, type UxBand } from '@threshold/core';

/** A UX band as a coloured pill; colour and name from core. */
export function BandBadge({ band, title }: { band: UxBand; title?: string }) {
  const definition = uxBandDefinition(band);
  return (
    <span className="band-badge" data-band={band} title={title ?? definition.label}>
      <span className="band-swatch" style={{ background: definition.color }} aria-hidden="true" />
      {band}
    </span>
  );
}
