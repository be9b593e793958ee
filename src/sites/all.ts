// Any context: every site the extension serves, one import line each (each file registers itself:
// src/sites/registry.ts). The order is the order a page's URL is tried in.
import './meet';
import './zoom';
import './teams';
import './youtube';

export { registeredSites } from './registry';
