import { expect, it } from 'vitest';
import { handle } from './api';

it('places an order', () => {
  expect(handle('1')).toBe('1');
});
