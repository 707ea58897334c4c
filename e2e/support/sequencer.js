/** Runs the e2e files in file-name order (01-apply, 02-walkthrough, ...). */
const Sequencer = require('@jest/test-sequencer').default;

class ByPathSequencer extends Sequencer {
  sort(tests) {
    return [...tests].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }
}

module.exports = ByPathSequencer;
