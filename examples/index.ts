// Every example app, by folder name.
import { App, Chart } from 'cdk8s';
import { build as dashboardToken } from './dashboard-token/app';
import { build as defaultServiceAccount } from './default-service-account/app';
import { build as logExporter } from './log-exporter/app';
import { build as podLister } from './pod-lister/app';
import { build as tenants } from './tenants/app';
import { build as viewBinding } from './view-binding/app';

/** Each example's build function, keyed by its folder name. */
export const EXAMPLES: Record<string, (app: App) => Chart> = {
  'default-service-account': defaultServiceAccount,
  'pod-lister': podLister,
  'view-binding': viewBinding,
  'log-exporter': logExporter,
  'dashboard-token': (app) => dashboardToken(app, { legacyToken: false }),
  tenants,
};
