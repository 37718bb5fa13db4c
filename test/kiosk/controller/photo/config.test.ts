import { describe, expect, it } from 'vitest';
import { defaultPhotoGateConfig, parsePhotoGateOverrides, resolvePhotoGateConfig } from '../../../../kiosk/controller/photo/config';

describe('photo gate settings from a config file', () => {
  it('accepts any subset of the groups and keys, and resolves over the defaults', () => {
    const parsed = parsePhotoGateOverrides({ headHeight: { min: 0.6 }, sharpness: { min: 0.01 }, crownFactor: 1.2 });
    expect(parsed).toEqual({ ok: true, value: { headHeight: { min: 0.6 }, sharpness: { min: 0.01 }, crownFactor: 1.2 } });
    if (!parsed.ok) return;
    const config = resolvePhotoGateConfig(parsed.value);
    expect(config.headHeight).toEqual({ min: 0.6, max: defaultPhotoGateConfig.headHeight.max });
    expect(config.sharpness.sampleWidth).toBe(defaultPhotoGateConfig.sharpness.sampleWidth);
  });

  it('treats a missing section as no overrides', () => {
    expect(parsePhotoGateOverrides(undefined)).toEqual({ ok: true, value: {} });
    expect(parsePhotoGateOverrides({})).toEqual({ ok: true, value: {} });
  });

  it('names an unknown group', () => {
    const parsed = parsePhotoGateOverrides({ headHight: { min: 0.6 } });
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error).toMatch(/unknown photo setting headHight\b/);
  });

  it('names an unknown key inside a group', () => {
    const parsed = parsePhotoGateOverrides({ brightness: { minimum: 80 } });
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error).toMatch(/unknown photo setting brightness\.minimum/);
  });

  it('names the setting and the bad value', () => {
    const text = parsePhotoGateOverrides({ headHeight: { max: '0.8' } });
    expect(text.ok).toBe(false);
    if (!text.ok) expect(text.error).toMatch(/headHeight\.max = "0\.8"/);
    const range = parsePhotoGateOverrides({ detector: { inputSize: 300 } });
    expect(range.ok).toBe(false);
    if (!range.ok) expect(range.error).toMatch(/detector\.inputSize = 300/);
    const group = parsePhotoGateOverrides({ frontal: 15 });
    expect(group.ok).toBe(false);
    if (!group.ok) expect(group.error).toMatch(/frontal = 15/);
  });

  it('refuses a range whose min is not below its max once merged with the defaults', () => {
    const parsed = parsePhotoGateOverrides({ headHeight: { min: 0.85 } });
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error).toMatch(/headHeight: min 0\.85 must be below max 0\.8/);
  });

  it('refuses something that is not an object', () => {
    const parsed = parsePhotoGateOverrides('strict');
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error).toMatch(/photo setting photo = "strict"/);
  });
});
