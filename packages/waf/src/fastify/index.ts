export { wafPlugin, type WafPluginOptions } from './waf-plugin.js';
export { WafErrors } from './waf-errors.js';
