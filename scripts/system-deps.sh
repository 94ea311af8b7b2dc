#!/usr/bin/env bash
# 测试所需的系统软件包（Debian，需要 root）：无头浏览器（看板测试）、LibreOffice（.doc/.wps 转换测试）、
# 中文字体、ripgrep（基准对比）。不是 root 或没有 apt-get 时只提示，相关测试会说明原因后跳过。
# System packages some tests use (Debian, as root): Chromium for the dashboard test, LibreOffice for
# .doc conversion, CJK fonts, ripgrep for the benchmark. Best effort: without root the tests skip.
set -u
need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
command -v soffice >/dev/null 2>&1 || need+=(libreoffice-writer-nogui libreoffice-calc-nogui)
command -v pdftoppm >/dev/null 2>&1 || need+=(poppler-utils)  # scripts/review-pictures.py (docs/review.md)
command -v rg >/dev/null 2>&1 || need+=(ripgrep)
if command -v fc-list >/dev/null 2>&1; then
  fc-list | grep -qi "Noto Sans CJK" || need+=(fonts-noto-cjk)
  fc-list | grep -qi "WenQuanYi Zen Hei" || need+=(fonts-wqy-zenhei)
else
  need+=(fontconfig fonts-noto-cjk fonts-wqy-zenhei)
fi
if [ ${#need[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "安装系统软件包：${need[*]}"
  apt-get update -qq >/dev/null && \
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null || \
    echo "警告：系统软件包安装失败（${need[*]}），相关测试将跳过" >&2
else
  echo "提示：缺少 ${need[*]}（需要 root 用 apt-get 安装），相关测试将跳过" >&2
fi
exit 0
