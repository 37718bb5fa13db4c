import { describe, expect, it } from 'vitest';
import { soundFor } from '../../../kiosk/controller/main';

describe('the buzzer on a change of screen', () => {
  it('chirps when the photo is taken and beeps when a card could not be made, and is quiet otherwise', () => {
    expect(soundFor('photo', 'review')).toBe('success');
    expect(soundFor('issuing', 'failed')).toBe('error');
    expect(soundFor('review', 'failed')).toBe('error');
    expect(soundFor('home', 'application')).toBeNull();
    expect(soundFor('review', 'photo')).toBeNull();
    expect(soundFor('issuing', 'done')).toBeNull(); // the hand-over plays its own long beeps
  });
});
