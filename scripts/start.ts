// `npm start`: until the inserter exists there is no SMSC role to run.
process.stdout.write(
  'smsc: no role to run yet (the inserter arrives with issue 5); `npm test` runs the suites.\n',
);
