// The mutation fuzzer (see mutation-fuzz.harness.ts), half of the mutations per file so the two
// halves run side by side on two cores, each on its own database.
import { fuzzMutations } from './mutation-fuzz.harness.js';

fuzzMutations(1, 2);
