#!/usr/bin/env node
// Runs the TypeScript CLI through tsx's loader, so a clean clone works right after `npm ci`
// without a build step. The loader runs in this process: the pid a supervisor starts is the
// agent's, and signals sent to it reach the agent.
import { register } from 'tsx/esm/api';

register();
// SIGUSR2 (the kill switch) must not kill us while the modules load
const { catchEarlySignals } = await import('../src/cli/earlySignals.ts');
catchEarlySignals();
await import('../src/cli.ts');
