import { describe, expect, it } from 'vitest';
import { dateLine, findStatedDate } from '../../src/clean/stated-date.js';

describe('stated dates', () => {
  it('keep exactly the precision the text gives', () => {
    expect(findStatedDate('| 2017-07-17 02:41:43')?.iso).toBe('2017-07-17T02:41:43');
    expect(findStatedDate('2019-03-01T10:20+0200')?.iso).toBe('2019-03-01T10:20+02:00');
    expect(findStatedDate('Posted on April 5, 2018 at 22:19')?.iso).toBe('2018-04-05');
    expect(findStatedDate('17 July 2017')?.iso).toBe('2017-07-17');
  });

  it('are never guessed from a month and year, a day without a year, or a placeholder', () => {
    expect(findStatedDate('JUNE 2021')).toBeNull();
    expect(findStatedDate('On April 4, Russia re-scheduled')).toBeNull();
    expect(findStatedDate('0001-01-01T00:00:00Z')).toBeNull();
    expect(findStatedDate('2021-02-30')).toBeNull();
  });

  it('make a date line only when the line holds little else', () => {
    expect(dateLine('Published: 17 July 2017')?.iso).toBe('2017-07-17');
    expect(dateLine('The deal of 17 July 2017 collapsed within a week.')).toBeNull();
  });
});
