// The ECharts that Rapor ships: only what rapor.js draws (bar and line charts on a grid, the
// comparisons' intervals as a custom series, the choropleth map, tooltips, SVG). `make echarts`
// bundles this into src/rapor/web/static/vendor/echarts/echarts.min.js; tests/test_vendored.py
// checks that the committed file is what this entry builds.
import * as echarts from "echarts/core";
import { BarChart, CustomChart, LineChart, MapChart } from "echarts/charts";
import { GridComponent, TooltipComponent } from "echarts/components";
import { SVGRenderer } from "echarts/renderers";

echarts.use([
  BarChart,
  CustomChart,
  LineChart,
  MapChart,
  GridComponent,
  TooltipComponent,
  SVGRenderer,
]);
window.echarts = echarts;
