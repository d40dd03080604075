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

  it('take a clock time written right after the date, bare or after "|"', () => {
    expect(findStatedDate('3 May 2017 | 11:20')?.iso).toBe('2017-05-03T11:20');
    expect(findStatedDate('May 08, 2019 23:52')?.iso).toBe('2019-05-08T23:52');
    expect(findStatedDate('May 9, 2018 3:14 PM (UTC+8)')?.iso).toBe('2018-05-09T15:14');
    expect(findStatedDate('12 June 2019, 12:05 am')?.iso).toBe('2019-06-12T00:05');
    expect(findStatedDate('3 May 2017 | 25:20')?.iso).toBe('2017-05-03');
    expect(findStatedDate('3 May 2017 | 11:20:61')?.iso).toBe('2017-05-03');
    expect(findStatedDate('3 May 2017 and 11:20 later')?.iso).toBe('2017-05-03');
  });

  it('make a date line only when the line holds little else', () => {
    expect(dateLine('3 May 2017 | 11:20')?.iso).toBe('2017-05-03T11:20');
    expect(dateLine('Published: 17 July 2017')?.iso).toBe('2017-07-17');
    expect(dateLine('The deal of 17 July 2017 collapsed within a week.')).toBeNull();
  });
});
