// Draws the what-if chart from the figures the page embeds (no request of its own).
(function () {
  const el = document.getElementById("chart-compare");
  const data = document.getElementById("compare-figures");
  if (!el || !data || !window.echarts) return;
  const f = JSON.parse(data.textContent);
  const chart = echarts.init(el);
  chart.setOption({
    animation: false, tooltip: { trigger: "axis" }, legend: {},
    grid: { left: 70, right: 20, bottom: 80 },
    xAxis: { type: "category", data: f.committees, axisLabel: { rotate: 60 } },
    yAxis: { type: "value" },
    dataZoom: [{ type: "slider" }],
    series: [
      { name: "方案甲：" + f.a, type: "bar", data: f.amount_a.map(Number) },
      { name: "方案乙：" + f.b, type: "bar", data: f.amount_b.map(Number) },
      { name: "差额", type: "line", data: f.difference.map(Number) },
    ],
  });
  el.dataset.rendered = "1";
  window.addEventListener("resize", () => chart.resize());
})();
