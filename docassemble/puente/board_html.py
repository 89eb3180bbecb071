"""The board as one self-contained HTML page, and the digest as HTML mail.

The page has no outside resources (it is opened from a shared folder or
printed): its style and its small script are inline. Rows carry data
attributes; the script sorts by any column and filters by counsel and state;
printing keeps the filtered view. Spanish first, English next to it. Only
initials: a printed board gets pinned to a wall. Every case text is escaped.
"""

from __future__ import annotations

from datetime import date
from html import escape

from .board import BoardRow, counts, digest_rows
from .dates import long_date
from .deadlines import STATE_LABELS, STATES
from .law import Law

COLORS = {"overdue": "#b00020", "this_week": "#c25e00", "next_30_days": "#1f5fa8",
          "later": "#4a4a4a", "done": "#2e7d32", "not_applicable": "#757575"}

COLUMNS = (
    # key, Spanish, English, sort type
    ("state", "Estado", "State", "num"),
    ("date", "Fecha", "Date", "text"),
    ("left", "Días hábiles", "Business days", "num"),
    ("case", "Caso", "Case", "text"),
    ("initials", "NNA", "Child", "text"),
    ("procedure", "Procedimiento", "Procedure", "text"),
    ("deadline", "Plazo", "Deadline", "text"),
    ("basis", "Fundamento", "Basis", "text"),
    ("counsel", "Abogado(a)", "Counsel", "text"),
    ("document", "Documento", "Document", "text"),
)

STYLE = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;margin:1.5rem;color:#1b1b1b}
h1{font-size:1.5rem;margin:0 0 .25rem}
.en{color:#555;font-weight:normal}
.meta{color:#444;margin:.2rem 0 1rem}
.counts span{display:inline-block;margin:0 .8rem .4rem 0;padding:.15rem .5rem;border-radius:.3rem;
  color:#fff;font-size:.9rem}
.filters{margin:.5rem 0 1rem}
.filters label{margin-right:1rem}
table{border-collapse:collapse;width:100%;font-size:.9rem}
th,td{border-bottom:1px solid #ddd;padding:.35rem .4rem;text-align:left;vertical-align:top}
th{background:#f3f3f3;position:sticky;top:0}
th button{all:unset;cursor:pointer;font-weight:bold}
th .arrow::after{content:" \\2195";color:#999}
th[aria-sort=ascending] .arrow::after{content:" \\2191";color:#000}
th[aria-sort=descending] .arrow::after{content:" \\2193";color:#000}
td.nowrap{white-space:nowrap}
td.num{text-align:right;font-variant-numeric:tabular-nums}
.state{font-weight:bold;white-space:nowrap}
.sub{display:block;color:#555;font-size:.85em}
tr[hidden]{display:none}
tr.birthday-soon td{color:#b00020}
footer{margin-top:1rem;color:#555;font-size:.85rem}
@media print{.filters,th .arrow{display:none}body{margin:0}th{position:static}a{color:inherit;text-decoration:none}}
"""

SCRIPT = """
(function(){
  var table=document.getElementById('board'),body=table.tBodies[0];
  var fc=document.getElementById('filter-counsel'),fs=document.getElementById('filter-state');
  function apply(){
    var shown=0;
    Array.prototype.forEach.call(body.rows,function(r){
      var ok=(!fc.value||r.dataset.counsel===fc.value)&&(!fs.value||r.dataset.state===fs.value);
      r.hidden=!ok; if(ok){shown++;}
    });
    document.getElementById('shown').textContent=shown;
  }
  fc.addEventListener('change',apply); fs.addEventListener('change',apply);
  Array.prototype.forEach.call(table.tHead.rows[0].cells,function(th,i){
    var b=th.querySelector('button'); if(!b){return;}
    b.addEventListener('click',function(){
      var asc=th.getAttribute('aria-sort')!=='ascending';
      Array.prototype.forEach.call(table.tHead.rows[0].cells,function(o){o.removeAttribute('aria-sort');});
      th.setAttribute('aria-sort',asc?'ascending':'descending');
      var num=th.dataset.type==='num';
      var rows=Array.prototype.slice.call(body.rows);
      rows.sort(function(a,b){
        var x=a.cells[i].dataset.v,y=b.cells[i].dataset.v;
        var c=num?(parseFloat(x)-parseFloat(y)):x.localeCompare(y,'es');
        if(c===0){c=a.dataset.order-b.dataset.order;}
        return asc?c:-c;
      });
      rows.forEach(function(r){body.appendChild(r);});
    });
  });
  apply();
})();
"""


def _cell(key: str, value: str, sort_value, *, sub: str = "", cls: str = "") -> str:
    sub_html = f'<span class="sub" lang="en">{escape(sub)}</span>' if sub and sub != value else ""
    cls_attr = f' class="{cls}"' if cls else ""
    sort_attr = escape(str(sort_value), quote=True)
    return f'<td data-key="{key}" data-v="{sort_attr}"{cls_attr}>{escape(value)}{sub_html}</td>'


def _row(i: int, r: BoardRow, law: Law) -> str:
    case = escape(r.case_id)
    if r.link:
        case = f'<a href="{escape(r.link, quote=True)}">{case}</a>'
    cells = [
        _cell("state", r.state_text("es"), STATES.index(r.state), sub=r.state_text("en"), cls="state"),
        _cell("date", r.date.isoformat(), r.date.isoformat(), cls="nowrap"),
        _cell("left", str(r.working_days_left), r.working_days_left, cls="num"),
        f'<td data-key="case" data-v="{escape(r.case_id, quote=True)}" class="nowrap">{case}</td>',
        _cell("initials", r.initials, r.initials),
        _cell("procedure", r.procedure_text(law, "es"), r.procedure_text(law, "es"), sub=r.procedure_text(law, "en")),
        _cell("deadline", r.label("es"), r.label("es"), sub=r.label("en")),
        _cell("basis", r.basis("es"), r.basis("es")),
        _cell("counsel", r.counsel, r.counsel),
        _cell("document", r.document("es") or r.note("es"), r.document("es") or r.note("es"),
              sub=r.document("en") or r.note("en")),
    ]
    soon = ' class="birthday-soon"' if r.birthday_soon else ""
    return (f'<tr data-order="{i}" data-state="{r.state}" data-counsel="{escape(r.counsel, quote=True)}"{soon} '
            f'style="border-left:4px solid {COLORS[r.state]}">' + "".join(cells) + "</tr>")


def to_html(rows: list[BoardRow], today: date, law: Law, calendar_name: str) -> str:
    c = counts(rows)
    chips = "".join(
        f'<span style="background:{COLORS[s]}">{escape(STATE_LABELS[s]["es"])} / '
        f'{escape(STATE_LABELS[s]["en"])}: {c[s]}</span>' for s in STATES)
    counsel = sorted({r.counsel for r in rows if r.counsel})
    counsel_options = "".join(f'<option value="{escape(x, quote=True)}">{escape(x)}</option>' for x in counsel)
    state_options = "".join(
        f'<option value="{s}">{escape(STATE_LABELS[s]["es"])} / {escape(STATE_LABELS[s]["en"])}</option>'
        for s in STATES)
    head = "".join(
        f'<th scope="col" data-type="{kind}"><button type="button">{escape(es)}<span class="arrow"></span>'
        f'<span class="sub en" lang="en">{escape(en)}</span></button></th>'
        for _, es, en, kind in COLUMNS)
    body = "\n".join(_row(i, r, law) for i, r in enumerate(rows))
    return f"""<!DOCTYPE html>
<html lang="es">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Tablero de plazos / Deadline board — {today.isoformat()}</title>
<style>{STYLE}</style>
</head>
<body>
<h1>Tablero de plazos <span class="en" lang="en">/ Deadline board</span></h1>
<p class="meta">Al {escape(long_date(today, "es"))}
<span class="en" lang="en">/ As of {escape(long_date(today, "en"))}</span>
 · <span id="shown">{len(rows)}</span> / {len(rows)} plazos <span class="en" lang="en">deadlines</span></p>
<div class="counts">{chips}</div>
<div class="filters">
<label>Abogado(a) <span class="en" lang="en">/ Counsel</span>
<select id="filter-counsel"><option value="">Todos / All</option>{counsel_options}</select></label>
<label>Estado <span class="en" lang="en">/ State</span>
<select id="filter-state"><option value="">Todos / All</option>{state_options}</select></label>
</div>
<table id="board">
<thead><tr>{head}</tr></thead>
<tbody>
{body}
</tbody>
</table>
<footer>
<p>Días hábiles según {escape(calendar_name)}; los acuerdos de cada dependencia publicados en el DOF
pueden añadir días inhábiles. Sólo iniciales de las NNA.
<span lang="en">Business days under {escape(calendar_name)}; each agency's acuerdos published in the DOF
may add non-business days. Children's initials only.</span></p>
</footer>
<script>{SCRIPT}</script>
</body>
</html>
"""


TD = 'style="padding:4px 8px;text-align:left"'


def digest_html(rows: list[BoardRow], today: date, law: Law, working_days: int) -> str:
    """The digest as a small HTML mail body (inline styles only: mail clients
    drop style sheets and scripts)."""
    due = digest_rows(rows, working_days)
    headers = ("Estado / State", "Fecha / Date", "Días hábiles / Business days", "Caso / Case", "NNA / Child",
               "Plazo / Deadline", "Fundamento / Basis", "Abogado(a) / Counsel")
    lines = ['<tr style="background:#f3f3f3">' + "".join(f"<th {TD}>{h}</th>" for h in headers) + "</tr>"]
    for r in due:
        values = (f"{r.state_text('es')} / {r.state_text('en')}", r.date.isoformat(), str(r.working_days_left),
                  r.case_id, r.initials, f"{r.label('es')} / {r.label('en')}", r.basis("es"), r.counsel)
        first = f'<td style="padding:4px 8px;color:{COLORS[r.state]};font-weight:bold">{escape(values[0])}</td>'
        lines.append("<tr>" + first + "".join(f"<td {TD}>{escape(v)}</td>" for v in values[1:]) + "</tr>")
    table = ('<table style="border-collapse:collapse;font-family:Arial,sans-serif;font-size:14px">'
             + "".join(lines) + "</table>") if due else "<p>Nada pendiente / Nothing due.</p>"
    title = f"Puente — resumen diario / daily digest {today.isoformat()}"
    return (f'<!DOCTYPE html>\n<html lang="es"><head><meta charset="utf-8"><title>{title}</title></head>'
            f'<body style="font-family:Arial,sans-serif">'
            f'<h1 style="font-size:18px">Puente — resumen diario <span lang="en">/ daily digest</span>'
            f' — {escape(long_date(today, "es"))}</h1>'
            f'<p>Vencidos y plazos de los próximos {working_days} días hábiles'
            f' <span lang="en">/ Overdue and due in the next {working_days} business days</span>: {len(due)}</p>'
            f"{table}</body></html>\n")
