import { openDatabase } from '../src/index.js';
import { defineReusableQueryCases } from './reusable-query.cases.js';

defineReusableQueryCases('SQLite', async () => openDatabase({ url: ':memory:' }));
