// Today's status, in the reader's browser: the page says what it was on the day it was built
// (the no-script view); this corrects deadline badges, validity badges and banners, and the
// home page's 即将到期 box from today's date. Mirrors text/deadlines.deadline_status and
// library/validity.effective. No network, no storage.
(function () {
  "use strict";
  var now = new Date();
  var today = [now.getFullYear(), pad(now.getMonth() + 1), pad(now.getDate())].join("-");
  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function plusDays(iso, days) {
    var d = new Date(iso + "T00:00:00Z");
    d.setUTCDate(d.getUTCDate() + days);
    return d.toISOString().slice(0, 10);
  }
  var soon = plusDays(today, 30);
  var STATUS_LABELS = { "past": "已过", "due-soon": "30天内到期", "upcoming": "未到" };
  var PAST_LABELS = { "start": "已开始", "period": "已结束" };

  function deadlineStatus(date) {
    if (date < today) return "past";
    if (date <= soon) return "due-soon";
    return "upcoming";
  }

  document.querySelectorAll(".status[data-date]").forEach(function (el) {
    var status = deadlineStatus(el.getAttribute("data-date"));
    var kind = el.getAttribute("data-kind");
    el.className = el.className.replace(/\bstatus-[a-z-]+/, "status-" + status);
    el.textContent = (status === "past" && PAST_LABELS[kind]) || STATUS_LABELS[status];
  });

  var TONES = { "现行有效": "in-force", "已修订": "changed", "部分失效": "changed", "已调整": "changed",
                "已失效": "ended", "已废止": "ended", "尚未施行": "pending" };
  function validity(stated, from, until) {
    if (stated && stated !== "现行有效") return stated;
    if (until && until < today) return "已失效";
    if (from && from > today) return "尚未施行";
    return stated || until || from ? "现行有效" : "";
  }
  document.querySelectorAll("[data-validity]").forEach(function (el) {
    var status = validity(el.getAttribute("data-validity"), el.getAttribute("data-from"), el.getAttribute("data-until"));
    var tone = TONES[status] || "unknown";
    if (el.classList.contains("validity-text")) { el.textContent = status; return; }
    el.className = el.className.replace(/\bvalidity-(in-force|changed|ended|pending|unknown)\b/, "validity-" + tone);
    el.hidden = tone === "in-force" || tone === "unknown";
    var label = el.classList.contains("validity-banner") ? el.querySelector(".validity-status") : el;
    if (label) label.textContent = status;
    var says = el.querySelector(".validity-says");
    if (says && el.getAttribute("data-says-" + tone)) says.textContent = el.getAttribute("data-says-" + tone);
  });

  // The home page's box: open dated items by date, then yearly ones at their next date, then
  // 办理时限; what has passed drops out and the next ones come in.
  function nextYearly(monthDay, firstYear) {
    var year = Math.max(parseInt(today.slice(0, 4), 10), parseInt(firstYear, 10) || 0);
    var md = monthDay === "02-29" ? "02-28" : monthDay;  // as the build does in other years
    var day = year + "-" + md;
    return day < today ? (year + 1) + "-" + md : day;
  }
  var box = document.querySelector("[data-coming-up]");
  if (box) {
    var limit = parseInt(box.getAttribute("data-coming-up"), 10) || 5;
    var order = { "dated": 0, "annual": 1, "limit": 2 };
    var items = Array.prototype.slice.call(box.querySelectorAll("li[data-group]"));
    items.forEach(function (li) {
      if (li.hasAttribute("data-month-day")) {
        var next = nextYearly(li.getAttribute("data-month-day"), li.getAttribute("data-first-year"));
        li.setAttribute("data-next", next);
        var time = li.querySelector(".next time");
        if (time) {
          time.setAttribute("datetime", next);
          time.textContent = next.slice(0, 4) + "年" + parseInt(next.slice(5, 7), 10) + "月" + parseInt(next.slice(8), 10) + "日";
        }
      }
    });
    var open = items.filter(function (li) {
      return li.getAttribute("data-group") !== "dated" || li.getAttribute("data-next") >= today;
    });
    open.sort(function (a, b) {
      var ga = order[a.getAttribute("data-group")], gb = order[b.getAttribute("data-group")];
      if (ga !== gb) return ga - gb;
      var na = a.getAttribute("data-next"), nb = b.getAttribute("data-next");
      return na < nb ? -1 : na > nb ? 1 : 0;
    });
    var empty = box.querySelector(".coming-up-empty");
    items.forEach(function (li) { li.hidden = true; });
    open.slice(0, limit).forEach(function (li) { li.hidden = false; box.insertBefore(li, empty); });
    if (empty) empty.hidden = open.length > 0;
  }
})();
