/**
 * The network picture's charts as standalone SVG, drawn on the server by Vega: the flows between
 * organisations (a network diagram and a two-column Sankey), the gap map on a schematic grid of
 * the communes, and response times. One file a chart in charts/, what they share (the Vega frame,
 * rendering, accessibility, disclosure of counts) in charts/chart-kit.ts; this is their entry point.
 */
export type { ChartLang, ChartOptions } from './charts/chart-kit.ts';
export { flowNetworkSvg } from './charts/flow-network.ts';
export { flowSankeySvg } from './charts/flow-sankey.ts';
export { gapMapSvg, tileLabel } from './charts/gap-map.ts';
export { RESPONSE_TIME_ROWS, responseTimesSvg } from './charts/response-times.ts';
