// 证书领取时间: paper certificate estimate, electronic certificate annotation.
import { runTool, zhDate, icsButton } from "./ui.mjs";
import { answerFirst, note } from "./answer.mjs";

/** The dates the rules give, each with its references into 依据: the key facts. */
const dated = (res) => res.dates.map((d) => [d.label, zhDate(d.date), d.sources]);

function render(res) {
  const limit = res.annotation_limit;
  const electronic = res.electronic_available === null || res.electronic_available === undefined ? null
    : res.electronic_available ? "可以在中国人事考试网下载（使用前需加注）" : "这次成绩发布时还没有推行电子证书";
  return answerFirst(res, {
    facts: [
      ["电子证书", electronic],
      ...dated(res),
      limit && limit.reached
        ? ["这次加注", `可能不被受理：${limit.window_days}天内已有${limit.counted_earlier}次有效加注，最早${zhDate(limit.possible_from)}之后可以再申请`]
        : null,
      res.annotation_requested_at && res.time_zone ? ["时间", res.time_zone] : null,
    ],
    rest: [note(res.local_notice), icsButton("添加提醒到手机日历（.ics）", res.calendar)],
  });
}

runTool({ tool: "certificate", render });
