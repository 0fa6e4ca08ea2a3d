import { App } from 'aws-cdk-lib';
import { stackPropsFromApp } from './config/app-props.js';
import { warnContextSettings } from './config/context-keys.js';
import { warnDeprecatedContext } from './context.js';
import { SweepStack, type SweepStackProps } from './sweep-stack.js';

const app = new App();
let props: SweepStackProps;
try {
  props = stackPropsFromApp(app.node);
} catch (error) {
  // A user's mistake in the file or in context: one line naming it, exit 2, before anything runs.
  process.stderr.write(`status-sweep: ${(error as Error).message}\n`);
  process.exit(2);
}
const stack = new SweepStack(app, 'StatusSweep', {
  ...props,
  description: 'Status Sweep: sweeps an id range of HTTP targets and reports one verdict per sweep',
});
warnDeprecatedContext(stack);
warnContextSettings(stack);
