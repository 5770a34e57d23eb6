#!/usr/bin/env node
// Runs the TypeScript CLI through tsx's loader, so a clean clone works right after `npm ci`
// without a build step.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli.ts');
