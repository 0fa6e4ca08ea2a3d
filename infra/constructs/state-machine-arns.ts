import { ArnFormat, Stack, Token } from 'aws-cdk-lib';
import { Grant, type IGrantable } from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';

/**
 * State machine names: 1-80 of A-Z a-z 0-9 - _.
 * @see https://docs.aws.amazon.com/step-functions/latest/apireference/API_CreateStateMachine.html
 */
const STATE_MACHINE_NAME = /^[\w-]{1,80}$/;
const DEFAULT_SUFFIX = '-DistributedSweeps';

/**
 * The ARNs of the distributed-sweep state machine, formatted from its fixed name. The functions
 * the state machine invokes need its ARN (environment, IAM); a reference to the resource would be
 * a dependency cycle, a formatted ARN is not.
 */
export class StateMachineArns {
  /** `<stack name>-DistributedSweeps`, shortened to the 80 characters a name may have. */
  static defaultName(scope: Construct): string {
    const { stackName } = Stack.of(scope);
    return `${stackName.slice(0, 80 - DEFAULT_SUFFIX.length)}${DEFAULT_SUFFIX}`;
  }

  /** `arn:…:stateMachine:<name>`. */
  readonly stateMachineArn: string;
  /** Every execution of the state machine: `arn:…:execution:<name>:*`. */
  readonly executionArns: string;
  /** Every Map Run of its executions: `arn:…:mapRun:<name>/*`. */
  readonly mapRunArns: string;

  constructor(
    scope: Construct,
    /** The state machine's name, fixed so that its ARN is known before it exists. */
    readonly stateMachineName: string,
  ) {
    if (Token.isUnresolved(stateMachineName) || !STATE_MACHINE_NAME.test(stateMachineName)) {
      throw new Error(
        `state machine name must be 1-80 of A-Z a-z 0-9 - _, got ${JSON.stringify(stateMachineName)}`,
      );
    }
    const stack = Stack.of(scope);
    const arn = (resource: string, resourceName: string): string =>
      stack.formatArn({
        service: 'states',
        resource,
        resourceName,
        arnFormat: ArnFormat.COLON_RESOURCE_NAME,
      });
    this.stateMachineArn = arn('stateMachine', stateMachineName);
    this.executionArns = arn('execution', `${stateMachineName}:*`);
    this.mapRunArns = arn('mapRun', `${stateMachineName}/*`);
  }

  /**
   * Lets `grantee` start executions of this state machine, and list and describe them (a run of
   * a target already running refuses a second one of that target), and nothing else with it.
   */
  grantStartExecution(grantee: IGrantable): Grant {
    return Grant.addToPrincipal({
      grantee,
      actions: ['states:StartExecution', 'states:ListExecutions'],
      resourceArns: [this.stateMachineArn],
    }).combine(
      Grant.addToPrincipal({
        grantee,
        actions: ['states:DescribeExecution'],
        resourceArns: [this.executionArns],
      }),
    );
  }

  /** Lets `grantee` follow runs: describe executions, list and describe their Map Runs. */
  grantReadRuns(grantee: IGrantable): Grant {
    return Grant.addToPrincipal({
      grantee,
      actions: ['states:DescribeExecution', 'states:ListMapRuns'],
      resourceArns: [this.executionArns],
    }).combine(
      Grant.addToPrincipal({
        grantee,
        actions: ['states:DescribeMapRun'],
        resourceArns: [this.mapRunArns],
      }),
    );
  }
}
