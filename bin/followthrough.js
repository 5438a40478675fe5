#!/usr/bin/env node
// Runs the server's build (dist/server, made by `npm ci`); rebuilds it first when a source
// changed since, so the command always runs what the sources say (decision 0006).
import { pathToFileURL } from 'node:url';
import { buildServer, ENTRY, isStale } from '../scripts/build-server.mjs';

if (isStale()) await buildServer();
await import(pathToFileURL(ENTRY).href);
