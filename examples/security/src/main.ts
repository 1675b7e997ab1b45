import { ESTATE, applyPlatformChecks, buildSecurity } from '@ssd-platform/example-common';
import { App } from 'aws-cdk-lib';

// The Security account: its configuration is ESTATE in examples/common/src/estate.ts.
// One stack, Security-DelegatedAdministration, is in the management account: deploy the app
// with management account credentials, after the management app, and bootstrap the Security
// account with `--trust` for the management account. The stack dependencies set the order.
const app = new App();
buildSecurity(app, ESTATE);
applyPlatformChecks(app, 'security');
app.synth();
