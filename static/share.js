/* The share image of a card (生成分享图): the card in the style of the 第N期 knowledge cards, with
   a QR code to its address, drawn on a canvas at 750×1334 (a 375×667 phone screen at 2×), shown
   as an image (long-press to save it, as WeChat does) with a download link.
   The same layout is drawn at build time for link previews (policy_handbook/outputs/shareimage.py):
   keep the two alike. Text is taken from the card as the page shows it and only ever drawn with
   fillText, never inserted as HTML. The QR library (static/qrcode-generator.js) is loaded on the
   first click, so a page that is only read never fetches it. */
(function () {
  "use strict";
  var section = document.querySelector(".share");
  var card = document.querySelector("article.card");
  if (!section || !card || !window.HTMLCanvasElement) return;
  var button = section.querySelector(".share-button");
  var result = section.querySelector(".share-result");
  var image = null;  // made on the first click: a page that is only read has no empty image
  var download = section.querySelector(".share-download");
  var status = section.querySelector(".share-status");

  var SCALE = 2, WIDTH = 375, HEIGHT = 667;
  var RED = "#b7202e", RED_DARK = "#8e1822", GOLD = "#f6e7c8", INK = "#1f2328", PAPER = "#ffffff";
  var CLOSING = "，。、；：？！”’）》」』】〕…·%,.;:?!)]";
  var OPENING = "“‘（《「『【〔([";

  function text(selector) {
    var el = card.querySelector(selector);
    return el ? el.textContent.split(/\s+/).join(" ").trim() : "";
  }

  function issueLine() {
    var issue = card.querySelector(".card-issue");
    if (!issue) return "";
    var parts = issue.querySelectorAll(".heading-part:not(.heading-outer), .card-number");
    if (!parts.length) return text(".card-issue");
    return Array.prototype.map.call(parts, function (p) { return p.textContent.trim(); }).join(" ");
  }

  function shown() {
    var canonical = document.querySelector("link[rel=canonical]");
    var brand = document.querySelector(".brand");
    return {
      header: text(".card-series"), issue: issueLine(), title: text(".card-title"),
      text: text(".card-body"), publisher: text(".card-publisher"),
      url: canonical ? canonical.href : location.href.split("#")[0],
      site: brand ? brand.textContent.trim() : ""
    };
  }

  function isWordChar(ch) { return /^[A-Za-z0-9]$/.test(ch); }

  // Lines of at most `width`: broken between Chinese characters, never inside a run of Latin
  // letters and digits, before a closing or after an opening mark (as shareimage.wrap).
  function wrap(s, width, measure) {
    var tokens = [];
    Array.from(s).forEach(function (ch) {
      var last = tokens.length ? tokens[tokens.length - 1] : "";
      var lastCh = last.slice(-1);
      if (last && (CLOSING.indexOf(ch) >= 0 || (isWordChar(ch) && isWordChar(lastCh)) ||
                   OPENING.indexOf(lastCh) >= 0)) {
        tokens[tokens.length - 1] = last + ch;
      } else {
        tokens.push(ch);
      }
    });
    var lines = [], line = "";
    tokens.forEach(function (token) {
      if (line && measure(line + token) > width) {
        lines.push(line);
        line = token.replace(/^\s+/, "");
      } else {
        line += token;
      }
    });
    if (line) lines.push(line);
    return lines;
  }

  function clamp(lines, count, width, measure) {
    if (lines.length <= count) return lines;
    var last = lines[count - 1];
    while (last && measure(last + "……") > width) last = Array.from(last).slice(0, -1).join("");
    return lines.slice(0, count - 1).concat([last + "……"]);
  }

  function draw(data) {
    var canvas = document.createElement("canvas");
    canvas.width = WIDTH * SCALE;
    canvas.height = HEIGHT * SCALE;
    var ctx = canvas.getContext("2d");
    ctx.scale(SCALE, SCALE);
    var family = getComputedStyle(document.documentElement).fontFamily || "sans-serif";
    function font(size, bold) { return (bold ? "bold " : "") + size + "px " + family; }
    function measure(size, bold) {
      return function (line) { ctx.font = font(size, bold); return ctx.measureText(line).width; };
    }
    function put(x, y, line, size, fill, align, bold) {
      ctx.font = font(size, bold);
      ctx.fillStyle = fill;
      ctx.textAlign = align || "left";
      ctx.textBaseline = "middle";
      ctx.fillText(line, x, y);
    }
    function roundRect(x, y, w, h, r, fill) {
      ctx.beginPath();
      ctx.moveTo(x + r, y);
      ctx.arcTo(x + w, y, x + w, y + h, r);
      ctx.arcTo(x + w, y + h, x, y + h, r);
      ctx.arcTo(x, y + h, x, y, r);
      ctx.arcTo(x, y, x + w, y, r);
      ctx.closePath();
      ctx.fillStyle = fill;
      ctx.fill();
    }

    ctx.fillStyle = RED;
    ctx.fillRect(0, 0, WIDTH, HEIGHT);
    // The banner: series header (letter-spaced as the card's banner when it fits on one line,
    // else on two), issue pill, title.
    var header = [Array.from(data.header).join(" ")], size = 18;
    if (measure(18)(header[0]) > WIDTH - 48) {
      header = clamp(wrap(data.header, WIDTH - 48, measure(16)), 2, WIDTH - 48, measure(16));
      size = 16;
    }
    header.forEach(function (line, i) { put(WIDTH / 2, 40 + 24 * i, line, size, PAPER, "center"); });
    var y = 64 + 24 * (header.length - 1);
    var issue = clamp(wrap(data.issue, WIDTH - 72, measure(14, true)), 2, WIDTH - 72, measure(14, true));
    if (!issue.length) issue = [""];
    var pillW = Math.max.apply(null, issue.map(measure(14, true))) + 28, pillH = 22 * issue.length + 8;
    roundRect((WIDTH - pillW) / 2, y, pillW, pillH, Math.min(pillH / 2, 15), GOLD);
    issue.forEach(function (line, i) { put(WIDTH / 2, y + 4 + 22 * i + 11, line, 14, RED_DARK, "center", true); });
    y += pillH + 16;
    clamp(wrap(data.title, WIDTH - 48, measure(22, true)), 3, WIDTH - 48, measure(22, true)).forEach(function (line) {
      put(WIDTH / 2, y + 15, line, 22, PAPER, "center", true);
      y += 34;
    });
    y += 10;

    // The paper: the start of the text, then the publisher.
    var footTop = HEIGHT - 132, bodyW = WIDTH - 72, lineH = 28;
    roundRect(16, y, WIDTH - 32, footTop - 12 - y, 12, PAPER);
    var room = Math.max(Math.floor((footTop - 12 - 58 - (y + 20)) / lineH), 1);
    var ty = y + 20;
    clamp(wrap("\u3000\u3000" + data.text, bodyW, measure(16)), room, bodyW, measure(16)).forEach(function (line) {
      put(36, ty + lineH / 2, line, 16, INK);
      ty += lineH;
    });
    var ruleY = footTop - 12 - 48;
    ctx.strokeStyle = "#d9dbde";
    ctx.lineWidth = 1;
    ctx.setLineDash([3, 3]);
    ctx.beginPath();
    ctx.moveTo(36, ruleY);
    ctx.lineTo(WIDTH - 36, ruleY);
    ctx.stroke();
    ctx.setLineDash([]);
    var publisher = clamp(wrap(data.publisher, bodyW, measure(14, true)), 1, bodyW, measure(14, true));
    put(WIDTH - 36, ruleY + 24, publisher[0] || "", 14, RED_DARK, "right", true);

    // The foot: QR code to the card and what to do with it.
    roundRect(16, footTop, 112, 112, 8, PAPER);
    drawQr(ctx, data.url, 72, footTop + 56, 104);
    put(144, footTop + 30, "长按识别二维码", 17, PAPER, "left", true);
    put(144, footTop + 58, "查看这条措施的全文和出处", 13, PAPER);
    put(144, footTop + 86, data.site, 13, GOLD);
    return canvas;
  }

  // The QR code (error correction M, UTF-8, 2 modules of quiet zone), centred on (cx, cy),
  // each module a whole number of image pixels.
  function drawQr(ctx, url, cx, cy, size) {
    window.qrcode.stringToBytes = window.qrcode.stringToBytesFuncs["UTF-8"];
    var qr = window.qrcode(0, "M");
    qr.addData(url, "Byte");
    qr.make();
    var count = qr.getModuleCount(), n = count + 4;
    var module = Math.max(Math.floor(size * SCALE / n), 1) / SCALE;
    var x0 = cx - n * module / 2, y0 = cy - n * module / 2;
    ctx.fillStyle = PAPER;
    ctx.fillRect(x0, y0, n * module, n * module);
    ctx.fillStyle = "#000000";
    for (var r = 0; r < count; r++) {
      for (var c = 0; c < count; c++) {
        if (qr.isDark(r, c)) ctx.fillRect(x0 + (c + 2) * module, y0 + (r + 2) * module, module, module);
      }
    }
  }

  function loadQr() {
    if (window.qrcode) return Promise.resolve();
    return new Promise(function (resolve, reject) {
      var script = document.createElement("script");
      script.src = section.getAttribute("data-qr-script");
      script.onload = resolve;
      script.onerror = reject;
      document.head.appendChild(script);
    });
  }

  button.addEventListener("click", function () {
    button.disabled = true;
    status.textContent = "正在生成分享图……";
    loadQr().then(function () {
      var data = shown();
      var url = draw(data).toDataURL("image/png");
      if (!image) {
        image = document.createElement("img");
        image.className = "share-image";
        image.width = WIDTH;
        image.height = HEIGHT;
        result.insertBefore(image, result.firstChild);
      }
      image.alt = "分享图：" + data.title + "（长按保存或发送给朋友）";
      image.src = url;
      download.href = url;
      result.hidden = false;
      status.textContent = "分享图已生成：手机上长按图片保存或发送给朋友，电脑上点“下载分享图”。";
    }).catch(function () {
      status.textContent = "分享图没有生成：二维码脚本加载失败，请检查网络后再试。";
    }).then(function () { button.disabled = false; });
  });
  section.hidden = false;
})();
