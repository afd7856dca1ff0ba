// Draws the dashboard's charts from the figures the page embeds (no request of its own).
(function () {
  const figures = JSON.parse(document.getElementById("dashboard-figures").textContent);
  const streets = figures.by_street.map((s) => s.name.replace("街道", ""));
  const charts = [];
  function draw(id, option) {
    const el = document.getElementById(id);
    if (!el || !window.echarts) return;
    const chart = echarts.init(el);
    chart.setOption(Object.assign({ animation: false, tooltip: { trigger: "axis" } }, option));
    el.dataset.rendered = "1";
    charts.push(chart);
  }
  // A ring chart; with nothing to show it says so (ECharts would draw equal slices for all-zero data).
  function ring(id, data) {
    const empty = data.every((d) => !d.value);
    draw(id, Object.assign(
      { tooltip: { trigger: "item" }, legend: { bottom: 0 },
        series: [{ type: "pie", radius: ["35%", "65%"], data: empty ? [] : data }] },
      empty ? { title: { text: "暂无数据", left: "center", top: "middle", textStyle: { color: "#999", fontSize: 14 } } } : {},
    ));
  }
  const bar = (name, key, stack) => ({ name, type: "bar", stack, data: figures.by_street.map((s) => s[key]) });
  draw("chart-kinds", {
    legend: {}, grid: { left: 40, right: 10, bottom: 60 },
    xAxis: { type: "category", data: streets, axisLabel: { rotate: 40 } }, yAxis: { type: "value" },
    series: [bar("纯居型", "residential", "k"), bar("单位型", "unit", "k"), bar("混合型", "mixed", "k")],
  });
  draw("chart-population", {
    legend: {}, grid: { left: 60, right: 10, bottom: 60 },
    xAxis: { type: "category", data: streets, axisLabel: { rotate: 40 } }, yAxis: { type: "value" },
    series: [bar("常住人口", "population"), bar("流动人口", "floating")],
  });
  ring("chart-office", [
    { name: "达标", value: figures.office_space.compliant },
    { name: "未达标", value: figures.office_space.short },
  ]);
  const c = figures.service_centres;
  draw("chart-centres", {
    grid: { left: 90, right: 20 }, xAxis: { type: "value" },
    yAxis: { type: "category", data: ["街道中心", "社区中心", "千平米以上", "五百平米以上", "精品", "通过示范验收"] },
    series: [{ type: "bar", data: [c.street, c.committee, c.over_1000m2, c.over_500m2, c.boutique, c.demonstration] }],
  });
  const g = figures.staffing;
  if (g) {
    draw("chart-staffing", {
      legend: {}, xAxis: { type: "category", data: ["委员", "社工"] }, yAxis: { type: "value" },
      series: [
        { name: "应配", type: "bar", data: [g.members_required, g.social_workers_required] },
        { name: "在岗", type: "bar", data: [g.members_present, g.social_workers_present] },
      ],
    });
  }
  const items = figures.service_items;
  if (items) {
    ring("chart-items", [
      { name: "依法履行职责", value: items.duty },
      { name: "依法协助政府", value: items.assist },
      { name: "不应由社区承担", value: items.excluded },
      { name: "审批中", value: items.pending },
    ]);
  }
  if (figures.certificates) {
    draw("chart-certificates", {
      legend: {}, grid: { left: 50, right: 10, bottom: 60 },
      xAxis: { type: "category", data: streets, axisLabel: { rotate: 40 } }, yAxis: { type: "value" },
      series: [bar("出具", "certificates_issued"), bar("不予出具并告知", "certificates_refused")],
    });
  }
  const v = figures.services;
  if (v) {
    ring("chart-balance", [
      { name: "服务居民", value: Number(v.service_hours) },
      { name: "行政事务", value: Number(v.admin_hours) },
    ]);
  }
  window.addEventListener("resize", () => charts.forEach((chart) => chart.resize()));
})();
