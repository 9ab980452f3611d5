#!/usr/bin/env bash
# The handouts' tests read the printed PDFs with Debian's poppler-utils (pdfinfo, pdftotext,
# pdffonts, pdftoppm), and certificates need fonts for every script a participant's name may use:
# DejaVu Sans (Latin, Greek, Cyrillic, Vietnamese, Arabic) and WenQuanYi Micro Hei (Chinese, about
# 5 MB, the smallest Debian CJK font). Install what is missing when we are root with apt-get;
# otherwise say exactly what to install.
#   bash scripts/ensure_pdf_tools.sh
set -euo pipefail
missing=()
command -v pdftotext >/dev/null 2>&1 && command -v pdftoppm >/dev/null 2>&1 || missing+=(poppler-utils)
fc-list 2>/dev/null | grep -q "DejaVuSans.ttf" || missing+=(fonts-dejavu-core)
fc-list :lang=zh 2>/dev/null | grep -q . || missing+=(fonts-wqy-microhei)
exec bash "$(dirname "$0")/apt_install.sh" "the handouts" "${missing[@]}"
