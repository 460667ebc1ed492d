export { checkRandom, type RandomOptions, type RandomSearch } from './random/check-random.js';
export { STRATEGIES, type StrategyName } from './random/strategies.js';
