// Placeholder replaced by the generated-docs work; keeps `npm run docs` defined.
console.error('npm run docs: not implemented yet');
process.exitCode = 1;
