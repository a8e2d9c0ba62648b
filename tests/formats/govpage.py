"""A page shaped like an article saved from a provincial government site (tests only): the
header, navigation, breadcrumb, the 索引号 table, share and print links, related documents and
the footer around the article body, as such pages have them. Used to check that the HTML reader
keeps the body and drops the rest."""
from __future__ import annotations

import html

NAV = ["首页", "政务公开", "政务服务", "互动交流", "走进本省", "专题专栏"]
RELATED = ["关于印发全省优化营商环境若干措施的通知", "关于进一步降低企业用电成本的实施意见",
           "关于做好2017年减轻企业负担工作的通知", "省人民政府关于支持民营经济发展的若干意见"]


def government_page(title: str, text: str, charset: str = "utf-8") -> bytes:
    paragraphs = "\n".join(f'<p style="text-indent: 2em;">{html.escape(line)}</p>' if line.strip() else ""
                           for line in text.split("\n"))
    nav = "".join(f'<li><a href="/{i}/">{name}</a></li>' for i, name in enumerate(NAV))
    related = "".join(f'<li><a href="/zwgk/{i}.html">{name}</a><span>2017-0{i + 1}-12</span></li>'
                      for i, name in enumerate(RELATED))
    page = f"""<!DOCTYPE html>
<html><head><meta http-equiv="Content-Type" content="text/html; charset={charset}">
<title>{html.escape(title)}_政策文件_省人民政府门户网站</title>
<script>var _hmt = _hmt || []; document.write("统计");</script>
<style>.nav li {{ float: left; }}</style></head>
<body>
<div class="top"><a href="/">无障碍</a> | <a href="/old/">长者模式</a> | <a href="/en/">English</a>
<form action="/search"><input name="q" value="请输入关键字"><button>搜索</button></form></div>
<div class="header"><img src="/logo.png" alt="省人民政府门户网站"></div>
<ul class="nav">{nav}</ul>
<div class="position">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a> &gt; <a href="/zwgk/zcwj/">政策文件</a></div>
<div class="main">
<table class="xxgk"><tr><td>索引号：</td><td>000014349/2017-00131</td><td>分类：</td><td>综合政务</td></tr>
<tr><td>发布机构：</td><td>省人民政府办公厅</td><td>发布日期：</td><td>2017年09月12日</td></tr></table>
<h1 class="title">{html.escape(title)}</h1>
<div class="info">来源：省人民政府办公厅  浏览次数：<span id="count">1024</span>  字号：<a href="#">大</a> <a href="#">中</a> <a href="#">小</a></div>
<div class="article"><div class="TRS_Editor">
{paragraphs}
</div></div>
<div class="share">分享到：<a href="#">微信</a> <a href="#">微博</a> <a href="javascript:window.print()">【打印本页】</a> <a href="javascript:window.close()">【关闭窗口】</a></div>
<div class="related"><h3>相关文件</h3><ul>{related}</ul></div>
</div>
<div class="footer"><p><a href="/about/">关于我们</a> | <a href="/map/">网站地图</a> | <a href="/contact/">联系我们</a></p>
<p>主办单位：省人民政府办公厅  承办单位：省大数据发展管理局</p>
<p>网站标识码：5200000001  ICP备案号：黔ICP备05000001号  公网安备 52010202000001号</p></div>
</body></html>"""
    return page.encode(charset)
