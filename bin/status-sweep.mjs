#!/usr/bin/env node
// `npx status-sweep`: runs the prebuilt CLI bundle, rebuilding it first when a source changed.
import { enableCompileCache } from 'node:module';
import { pathToFileURL } from 'node:url';
import { BUNDLE, buildCli, isStale } from '../dev/build-cli.mjs';

// V8's compiled code for the bundle is kept on disk: later starts skip most of the parsing.
enableCompileCache?.();
if (isStale()) await buildCli();
await import(pathToFileURL(BUNDLE).href);
