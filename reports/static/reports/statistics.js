/* Charts of the statistics page, drawn with Apache ECharts from the figures the page
   embeds (#ogi-chart-data). No animation, so that a printed or captured page is complete;
   each chart element gets data-rendered="1" once drawn. */
(function () {
  function draw() {
    var el = document.getElementById("ogi-chart-data");
    if (!el || typeof echarts === "undefined") { return; }
    var d = JSON.parse(el.textContent);
    var font = {fontFamily: "Noto Sans CJK SC, Source Han Sans SC, Microsoft YaHei, sans-serif"};
    function chart(id, option) {
      var node = document.getElementById(id);
      if (!node) { return; }
      var old = echarts.getInstanceByDom(node);
      if (old) { old.dispose(); }
      var c = echarts.init(node, null, {renderer: "canvas"});
      option.animation = false;
      option.textStyle = font;
      c.setOption(option);
      node.setAttribute("data-rendered", "1");
      window.addEventListener("resize", function () { c.resize(); });
    }
    var series = d.channels.map(function (name) {
      return {name: "收到（" + name + "）", type: "bar", stack: "received", data: d.received[name]};
    });
    series.push({name: "办结", type: "line", data: d.answered});
    chart("chart-volume", {
      tooltip: {trigger: "axis"}, legend: {top: 0},
      grid: {top: 80, left: 40, right: 16, bottom: 30},
      xAxis: {type: "category", data: d.months}, yAxis: {type: "value", minInterval: 1, name: "件"},
      series: series
    });
    chart("chart-ontime", {
      tooltip: {trigger: "axis"}, legend: {top: 0},
      grid: {top: 50, left: 40, right: 48, bottom: 30},
      xAxis: {type: "category", data: d.months},
      yAxis: [{type: "value", minInterval: 1, name: "件"}, {type: "value", min: 0, max: 100, name: "按期率（%）"}],
      series: [
        {name: "按期办结", type: "bar", stack: "answered", data: d.onTime, itemStyle: {color: "#2e7d32"}},
        {name: "逾期办结", type: "bar", stack: "answered", data: d.late, itemStyle: {color: "#c62828"}},
        {name: "按期办结率", type: "line", yAxisIndex: 1, data: d.onTimeRate, connectNulls: true}
      ]
    });
    chart("chart-outcomes", {
      tooltip: {trigger: "item", formatter: "{b}：{c}件（{d}%）"}, legend: {top: 0},
      series: [{type: "pie", radius: ["35%", "65%"], top: 30, data: d.outcomes,
                label: {formatter: "{b}\n{c}件"}}]
    });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", draw); } else { draw(); }
  document.addEventListener("turbo:load", draw);
})();
