using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using MailFlowIntel.Core.Catalog;

namespace MailFlowIntel.Core.Report
{
    /// <summary>
    /// The report's two pictures as inline SVG (no script, no external file): open alerts by code, one bar per code, and
    /// certificate expiry dates on a time line. Shapes and text labels carry the meaning, so they print in black and white.
    /// </summary>
    internal static class SvgChart
    {
        const int Width = 640, LabelWidth = 170, Row = 26, Top = 8;

        /// <summary>Horizontal bars, one per code (each a rect with data-code), its count written beside it.</summary>
        public static void Bars(StringBuilder sb, IReadOnlyList<KeyValuePair<string, long>> counts, Language language)
        {
            if (counts.Count == 0) return;
            long max = Math.Max(1, counts.Max(c => c.Value));
            int height = Top * 2 + counts.Count * Row;
            double room = Width - LabelWidth - 60;
            sb.Append("<figure class=\"chart\"><figcaption>").Text(ReportWords.Chart.In(language)).Append("</figcaption>\n");
            sb.Append("<svg class=\"bars\" xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" viewBox=\"0 0 ").Append(Width).Append(' ').Append(height)
              .Append("\"").Attribute("aria-label", ReportWords.Chart.In(language)).Append(">\n");
            for (int i = 0; i < counts.Count; i++)
            {
                double y = Top + i * Row;
                double w = Math.Max(2, room * counts[i].Value / max);
                sb.Append("<text x=\"").Number(LabelWidth - 8).Append("\" y=\"").Number(y + 17).Append("\" text-anchor=\"end\">").Text(counts[i].Key, false, 24).Append("</text>");
                sb.Append("<rect class=\"bar\"").Attribute("data-code", counts[i].Key).Append(" x=\"").Number(LabelWidth).Append("\" y=\"").Number(y + 3)
                  .Append("\" width=\"").Number(w).Append("\" height=\"").Number(Row - 8).Append("\" fill=\"#3b5b92\"><title>")
                  .Text(counts[i].Key).Append(": ").Append(counts[i].Value.ToString(CultureInfo.InvariantCulture)).Append("</title></rect>");
                sb.Append("<text x=\"").Number(LabelWidth + w + 6).Append("\" y=\"").Number(y + 17).Append("\">")
                  .Append(counts[i].Value.ToString(CultureInfo.InvariantCulture)).Append("</text>\n");
            }
            sb.Append("</svg></figure>\n");
        }

        /// <summary>
        /// One row per certificate: its server, a mark at its NotAfter (a square once expired, a circle before) and the date,
        /// against a line for the report's AsOf time.
        /// </summary>
        public static void Timeline(StringBuilder sb, IReadOnlyList<KeyValuePair<string, DateTime>> points, DateTime asOf, long more, Language language)
        {
            if (points.Count == 0) return;
            DateTime from = new[] { asOf, points.Min(p => p.Value) }.Min().AddDays(-7);
            DateTime to = new[] { asOf, points.Max(p => p.Value) }.Max().AddDays(7);
            double left = LabelWidth, right = Width - 90, span = Math.Max(1, (to - from).TotalSeconds);
            Func<DateTime, double> x = d => left + (right - left) * (d - from).TotalSeconds / span;
            int height = Top * 2 + 22 + points.Count * Row;

            sb.Append("<figure class=\"chart\"><figcaption>").Text(ReportWords.Timeline.In(language)).Append("</figcaption>\n");
            sb.Append("<svg class=\"timeline\" xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" viewBox=\"0 0 ").Append(Width).Append(' ').Append(height)
              .Append("\"").Attribute("aria-label", ReportWords.Timeline.In(language)).Append(">\n");
            double axis = height - Top - 14;
            sb.Append("<line x1=\"").Number(left).Append("\" y1=\"").Number(axis).Append("\" x2=\"").Number(right).Append("\" y2=\"").Number(axis).Append("\" stroke=\"#000\"/>");
            Label(sb, x(from), axis + 14, from, "start");
            Label(sb, x(to), axis + 14, to, "end");
            double now = x(asOf);
            sb.Append("<line class=\"now\" x1=\"").Number(now).Append("\" y1=\"").Number(Top).Append("\" x2=\"").Number(now).Append("\" y2=\"").Number(axis)
              .Append("\" stroke=\"#000\" stroke-dasharray=\"4 3\"/><text x=\"").Number(now + 3).Append("\" y=\"").Number(Top + 10).Append("\" font-size=\"11\">")
              .Text(ReportWords.Today.In(language)).Append("</text>\n");
            for (int i = 0; i < points.Count; i++)
            {
                double y = Top + 14 + i * Row + Row / 2.0;
                double px = x(points[i].Value);
                bool expired = points[i].Value <= asOf;
                sb.Append("<text x=\"").Number(LabelWidth - 8).Append("\" y=\"").Number(y + 4).Append("\" text-anchor=\"end\">").Text(points[i].Key, false, 26).Append("</text>");
                sb.Append("<line x1=\"").Number(left).Append("\" y1=\"").Number(y).Append("\" x2=\"").Number(right).Append("\" y2=\"").Number(y).Append("\" stroke=\"#ccc\"/>");
                if (expired)
                    sb.Append("<rect class=\"expiry expired\" x=\"").Number(px - 6).Append("\" y=\"").Number(y - 6).Append("\" width=\"12\" height=\"12\" fill=\"#b00020\" stroke=\"#000\"/>");
                else
                    sb.Append("<circle class=\"expiry\" cx=\"").Number(px).Append("\" cy=\"").Number(y).Append("\" r=\"6\" fill=\"")
                      .Append(points[i].Value <= asOf.AddDays(30) ? "#e08a00" : "#2e7d32").Append("\" stroke=\"#000\"/>");
                sb.Append("<text x=\"").Number(px + 10).Append("\" y=\"").Number(y + 4).Append("\" font-size=\"11\">")
                  .Append(points[i].Value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)).Append("</text>\n");
            }
            sb.Append("</svg>");
            if (more > 0) sb.Append("<p class=\"note\">").Text(string.Format(CultureInfo.InvariantCulture, ReportWords.TimelineMore.In(language), more)).Append("</p>");
            sb.Append("</figure>\n");
        }

        static void Label(StringBuilder sb, double x, double y, DateTime d, string anchor) =>
            sb.Append("<text x=\"").Number(x).Append("\" y=\"").Number(y).Append("\" font-size=\"11\" text-anchor=\"").Append(anchor).Append("\">")
              .Append(d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)).Append("</text>");
    }
}
