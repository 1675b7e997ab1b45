import { ESTATE, applyPlatformChecks, buildManagement } from '@ssd-platform/example-common';
import { App } from 'aws-cdk-lib';

// The organisation's management account: its configuration is ESTATE in examples/common/src/estate.ts.
const app = new App();
buildManagement(app, ESTATE);
applyPlatformChecks(app, 'management');
app.synth();
