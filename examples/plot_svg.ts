// A small SVG line plot (curves, axes with ticks, legend) for the demo's derivative figure.
export interface Curve {
  label: string;
  xs: ArrayLike<number>;
  ys: ArrayLike<number>;
  color: string;
}

export function linePlot(curves: Curve[], title: string, width = 720, height = 440): string {
  const m = { l: 60, r: 20, t: 40, b: 45 };
  const all = (k: "xs" | "ys") => curves.flatMap((c) => Array.from(c[k]));
  const [x0, x1] = [Math.min(...all("xs")), Math.max(...all("xs"))];
  const [y0, y1] = [Math.min(...all("ys")), Math.max(...all("ys"))];
  const px = (x: number) => m.l + ((x - x0) / (x1 - x0)) * (width - m.l - m.r);
  const py = (y: number) => height - m.b - ((y - y0) / (y1 - y0)) * (height - m.t - m.b);
  const ticks = (a: number, b: number, n: number) => Array.from({ length: n + 1 }, (_, i) => a + ((b - a) * i) / n);
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="${width / 2}" y="22" text-anchor="middle" font-size="15">${title}</text>`,
  ];
  // Axes through zero where zero is in range, else at the border.
  const ax = y0 <= 0 && y1 >= 0 ? py(0) : height - m.b;
  out.push(`<line x1="${m.l}" y1="${ax}" x2="${width - m.r}" y2="${ax}" stroke="#444"/>`);
  out.push(`<line x1="${m.l}" y1="${m.t}" x2="${m.l}" y2="${height - m.b}" stroke="#444"/>`);
  for (const t of ticks(x0, x1, 8)) {
    out.push(`<line x1="${px(t)}" y1="${ax}" x2="${px(t)}" y2="${ax + 5}" stroke="#444"/>`);
    out.push(`<text x="${px(t)}" y="${height - m.b + 18}" text-anchor="middle">${t.toFixed(1)}</text>`);
  }
  for (const t of ticks(y0, y1, 6)) {
    out.push(`<line x1="${m.l - 5}" y1="${py(t)}" x2="${m.l}" y2="${py(t)}" stroke="#444"/>`);
    out.push(`<text x="${m.l - 8}" y="${py(t) + 4}" text-anchor="end">${t.toFixed(2)}</text>`);
  }
  out.push(`<text x="${width / 2}" y="${height - 8}" text-anchor="middle">x</text>`);
  for (const c of curves) {
    const pts = Array.from(c.xs, (x, i) => `${px(x).toFixed(1)},${py(c.ys[i]).toFixed(1)}`).join(" ");
    out.push(`<polyline fill="none" stroke="${c.color}" stroke-width="2" points="${pts}"/>`);
  }
  curves.forEach((c, i) => {
    const y = m.t + 10 + i * 18;
    out.push(`<line x1="${width - 190}" y1="${y}" x2="${width - 165}" y2="${y}" stroke="${c.color}" stroke-width="3"/>`);
    out.push(`<text x="${width - 158}" y="${y + 4}">${c.label}</text>`);
  });
  out.push("</svg>");
  return out.join("\n");
}
