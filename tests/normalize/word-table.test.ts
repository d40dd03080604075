import { describe, expect, it } from 'vitest';
import { WordTable } from '../../src/normalize/word-table.js';

describe('WordTable', () => {
  const described: string[] = [];
  const table = () => {
    described.length = 0;
    return new WordTable((folded) => {
      described.push(folded);
      return { folded };
    }, 3);
  };

  it('finds a word by its ASCII characters or its folded text as the same entry', () => {
    const words = table();
    const entry = words.ofAscii('near Jayrud today', 5, 11);
    expect(entry.folded).toBe('jayrud');
    expect(words.of('jayrud')).toBe(entry);
    expect(words.find('jayrud')).toBe(entry);
    expect(described).toEqual(['jayrud']);
  });

  it('find makes no entry for a word it has not seen', () => {
    const words = table();
    expect(words.find('dumayr')).toBeUndefined();
    expect(described).toEqual([]);
    expect(words.of('dumayr')).toEqual({ folded: 'dumayr' });
  });

  it('starts afresh past its size, and counts each time it does', () => {
    const words = table();
    const first = words.of('a');
    words.of('b');
    words.of('c');
    expect(words.resets).toBe(0);
    words.of('d');
    expect(words.resets).toBe(1);
    expect(words.find('a')).toBeUndefined();
    expect(words.of('a')).not.toBe(first);
  });
});
