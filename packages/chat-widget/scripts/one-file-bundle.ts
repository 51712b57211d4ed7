import { installScriptTag } from '../src/bundle/install-script-tag.js';
import { defineAsyncChat } from '../src/element/AsyncChatElement.js';

// The script-tag bundle as one file, the panel inside (what it was before it was split in two):
// built by the bench (scripts/bench.mjs) to compare against the two chunks that ship.
installScriptTag(() => void defineAsyncChat());
