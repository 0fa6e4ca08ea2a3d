import { App } from 'aws-cdk-lib';
import { sweepStackPropsFromContext, warnDeprecatedContext } from './context.js';
import { SweepStack } from './sweep-stack.js';

const app = new App();
const stack = new SweepStack(app, 'StatusSweep', {
  ...sweepStackPropsFromContext(app.node),
  description: 'Status Sweep: sweeps an id range of one HTTP target and reports one verdict',
});
warnDeprecatedContext(stack);
