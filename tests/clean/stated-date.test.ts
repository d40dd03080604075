import { describe, expect, it } from 'vitest';
import { dateLine, findStatedDate, isUpdateLine, statedTime } from '../../src/clean/stated-date.js';

describe('stated dates', () => {
  it('keep exactly the precision the text gives', () => {
    expect(findStatedDate('| 2017-07-17 02:41:43')?.iso).toBe('2017-07-17T02:41:43');
    expect(findStatedDate('2019-03-01T10:20+0200')?.iso).toBe('2019-03-01T10:20+02:00');
    expect(findStatedDate('Posted on April 5, 2018 at 22:19')?.iso).toBe('2018-04-05T22:19');
    expect(findStatedDate('Posted on April 5, 2018')?.iso).toBe('2018-04-05');
    expect(findStatedDate('17 July 2017')?.iso).toBe('2017-07-17');
  });

  it('read month names with weekdays, commas, twelve-hour clocks and stated offsets', () => {
    expect(findStatedDate('Monday, 9 April 2018 14:05')?.iso).toBe('2018-04-09T14:05');
    expect(findStatedDate('Sunday, January 21, 2018')?.iso).toBe('2018-01-21');
    expect(findStatedDate('Oct 17, 2019, 11:42 AM')?.iso).toBe('2019-10-17T11:42');
    expect(findStatedDate('Tue Mar 5, 2019 09:07PM')?.iso).toBe('2019-03-05T21:07');
    expect(findStatedDate('May 9, 2018 3:14 PM (UTC+8)')?.iso).toBe('2018-05-09T15:14+08:00');
    expect(findStatedDate('21 APR 2018, 18:52')?.iso).toBe('2018-04-21T18:52');
    expect(findStatedDate('12:00 PM')).toBeNull();
  });

  it('read the Arabic comma and a time after a bar', () => {
    expect(findStatedDate('Date: 24 April، 2018')?.iso).toBe('2018-04-24');
    expect(findStatedDate('3 May 2017 | 11:20')?.iso).toBe('2017-05-03T11:20');
    expect(findStatedDate('2018-02-22 | 10:40')?.iso).toBe('2018-02-22T10:40');
  });

  it('read dotted dates day first, and slashed ones only when the order is settled', () => {
    expect(findStatedDate('07.11.2016 | 08:45')?.iso).toBe('2016-11-07T08:45');
    expect(findStatedDate('25/12/2018')?.iso).toBe('2018-12-25');
    expect(findStatedDate('12/25/2018')?.iso).toBe('2018-12-25');
    expect(findStatedDate('03/04/2018')).toBeNull();
    expect(findStatedDate('03/04/2018', { slashOrder: 'dmy' })?.iso).toBe('2018-04-03');
    expect(findStatedDate('03/04/2018', { slashOrder: 'mdy' })?.iso).toBe('2018-03-04');
  });

  it('are never guessed from a month and year, a day without a year, or a placeholder', () => {
    expect(findStatedDate('JUNE 2021')).toBeNull();
    expect(findStatedDate('On April 4, Russia re-scheduled')).toBeNull();
    expect(findStatedDate('0001-01-01T00:00:00Z')).toBeNull();
    expect(findStatedDate('2021-02-30')).toBeNull();
    expect(findStatedDate('31.02.2017')).toBeNull();
  });

  it('take the first date the text states', () => {
    expect(findStatedDate('May 08, 2019 23:52 and 2019-05-09')?.iso).toBe('2019-05-08T23:52');
  });

  it('take a clock time written right after the date, bare or after "|"', () => {
    expect(findStatedDate('3 May 2017 | 11:20')?.iso).toBe('2017-05-03T11:20');
    expect(findStatedDate('May 08, 2019 23:52')?.iso).toBe('2019-05-08T23:52');
    expect(findStatedDate('May 9, 2018 3:14 PM (UTC+8)')?.iso).toBe('2018-05-09T15:14+08:00');
    expect(findStatedDate('12 June 2019, 12:05 am')?.iso).toBe('2019-06-12T00:05');
    expect(findStatedDate('3 May 2017 | 25:20')?.iso).toBe('2017-05-03');
    expect(findStatedDate('3 May 2017 | 11:20:61')?.iso).toBe('2017-05-03');
    expect(findStatedDate('3 May 2017 and 11:20 later')?.iso).toBe('2017-05-03');
  });

  it('make a date line only when the line holds little else', () => {
    expect(dateLine('3 May 2017 | 11:20')?.iso).toBe('2017-05-03T11:20');
    expect(dateLine('Published: 17 July 2017')?.iso).toBe('2017-07-17');
    expect(dateLine('Nov. 19, 2019 8:03 am ET')?.iso).toBe('2019-11-19T08:03');
    expect(dateLine('The deal of 17 July 2017 collapsed within a week.')).toBeNull();
    expect(dateLine('Wednesday 16 June 2021')?.iso).toBe('2021-06-16');
  });

  it('never take the date of a change for a date line', () => {
    expect(dateLine('Updated 09 May 2019')).toBeNull();
    expect(dateLine('UPDATED: 21 APR 2018, 21:10')).toBeNull();
    expect(dateLine('07.11.2016 | 08:45 (updated 07.11.2016 | 10:05)')?.iso).toBe(
      '2016-11-07T08:45',
    );
    expect(dateLine('Tue Mar 5, 2019 09:07AM [Updated: Tue Mar 5, 2019 11:30AM ]')?.iso).toBe(
      '2019-03-05T09:07',
    );
    expect(isUpdateLine('Last modified: 3 May 2017')).toBe(true);
    expect(isUpdateLine('3 May 2017 (updated 4 May)')).toBe(false);
  });

  it('read a time of day alone', () => {
    expect(statedTime('Posted by someone at 9:12 AM')).toBe('T09:12');
    expect(statedTime('at 12:30 am')).toBe('T00:30');
    expect(statedTime('no time here')).toBeNull();
  });
});
