// 证书领取时间: paper certificate estimate, electronic certificate annotation.
import { runTool, el, zhDate, datesTable, icsButton } from "./ui.mjs";

function render(res) {
  const facts = el("dl", { class: "sg-facts" });
  if (res.electronic_available !== null && res.electronic_available !== undefined) {
    facts.append(el("dt", {}, "电子证书"),
      el("dd", {}, res.electronic_available ? "可以在中国人事考试网下载(使用前需加注)" : "这次成绩发布时还没有推行电子证书"));
  }
  if (res.paper_expected) {
    facts.append(el("dt", {}, "纸质证书预计发放"),
      el("dd", {}, `${zhDate(res.paper_expected.from)} 至 ${zhDate(res.paper_expected.to)}(估计，以当地通知为准)`));
  }
  if (res.annotation_ready_by) {
    facts.append(el("dt", {}, "加注最晚完成"), el("dd", {}, zhDate(res.annotation_ready_by)));
    facts.append(el("dt", {}, "加注有效期最长到(估算)"), el("dd", {}, zhDate(res.annotation_valid_until_max)));
    facts.append(el("dt", {}, "需要重新加注(最早)"), el("dd", {}, zhDate(res.annotate_again_on)));
  }
  const limit = res.annotation_limit;
  if (limit && limit.reached) {
    facts.append(el("dt", {}, "这次加注"),
      el("dd", {}, `可能不被受理：${limit.window_days}天内已有${limit.counted_earlier}次有效加注，最早${zhDate(limit.possible_from)}之后可以再申请`));
  }
  if (res.annotation_requested_at && res.time_zone) facts.append(el("dt", {}, "时间"), el("dd", {}, res.time_zone));
  return [
    facts,
    icsButton("添加提醒到手机日历(.ics)", res.calendar),
    datesTable(res.dates),
  ];
}

runTool({ tool: "certificate", render });
