#!/usr/bin/env node
// `npx status-sweep`: runs the prebuilt CLI bundle, rebuilding it first when a source changed.
import * as nodeModule from 'node:module';
import { pathToFileURL } from 'node:url';
import { BUNDLE, buildCli, isStale } from '../dev/build-cli.mjs';

// V8's compiled code for the bundle is kept on disk: later starts skip most of the parsing.
// A namespace import, since a named one fails to link on a Node without it (before 22.1), where
// the CLI should start and warn that it wants Node 24.
nodeModule.enableCompileCache?.();
if (isStale()) await buildCli();
await import(pathToFileURL(BUNDLE).href);
