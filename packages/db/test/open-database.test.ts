import { describe, expect, it } from 'vitest';
import { openDatabase } from '../src/index.js';

describe('openDatabase', () => {
  it('refuses URLs of databases it does not speak', () => {
    expect(() => openDatabase({ url: 'mysql://localhost/x' })).toThrow(
      expect.objectContaining({ code: 'DB_URL_UNSUPPORTED' }),
    );
  });
  it('opens SQLite in memory', async () => {
    const o = openDatabase({ url: ':memory:' });
    expect(o.dialect).toBe('sqlite');
    await o.close();
  });
});
