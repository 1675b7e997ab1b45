import { ESTATE, applyPlatformChecks, buildSecurity } from '@ssd-platform/example-common';
import { App } from 'aws-cdk-lib';

// The Security account: its configuration is ESTATE in examples/common/src/estate.ts.
const app = new App();
buildSecurity(app, ESTATE);
applyPlatformChecks(app, 'security');
app.synth();
