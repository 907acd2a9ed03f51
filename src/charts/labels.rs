//! Labels beside points without overlap: each label tries the four corners beside its point, then the same a
//! line and two lines further out (joined to the point by a leader line); a label that fits nowhere inside the
//! frame without covering a point or another label gets a number, listed in a key under the chart.

/// A box in pixels: (x0, y0, x1, y1).
pub(crate) type Rect = (i32, i32, i32, i32);

/// Where a label went.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Placed {
    pub rect: Rect,
    /// Text to the right of the point (else to its left) and above it (else below).
    pub right: bool,
    pub above: bool,
    /// Moved out from the point: draw a leader line from the point to the nearest corner of the box.
    pub leader: bool,
}

fn overlaps(a: &Rect, b: &Rect) -> bool {
    a.0 < b.2 && b.0 < a.2 && a.1 < b.3 && b.1 < a.3
}

/// Place one label of size `size` for each point inside `frame`; `radii` are the points' radii (every point's
/// disc is taken before any label is placed), `pad` the space between a disc and its label. None: the label
/// does not fit (give it a number and a key). `obstacles` are other marks labels must not cover (error bars).
pub(crate) fn place(
    points: &[(i32, i32)],
    radii: &[i32],
    sizes: &[(i32, i32)],
    frame: Rect,
    pad: i32,
    obstacles: &[Rect],
) -> Vec<Option<Placed>> {
    let mut taken: Vec<Rect> = points
        .iter()
        .zip(radii)
        .map(|(&(x, y), &r)| (x - r, y - r, x + r, y + r))
        .collect();
    taken.extend_from_slice(obstacles);
    let corners = [(true, true), (false, true), (true, false), (false, false)];
    points
        .iter()
        .zip(sizes)
        .zip(radii)
        .map(|((&(px, py), &(tw, th)), &r)| {
            // Beside the disc: diagonally, the box's corner a little off the disc's edge.
            let gap = (r as f64 * 0.72).round() as i32 + pad;
            let candidates = (0..3).flat_map(|step| corners.iter().map(move |&c| (step, c)));
            for (step, (right, above)) in candidates {
                let x0 = if right { px + gap } else { px - gap - tw };
                let out = step * th;
                let y0 = if above {
                    py - gap - th - out
                } else {
                    py + gap + out
                };
                let rect = (x0, y0, x0 + tw, y0 + th);
                let inside = rect.0 >= frame.0
                    && rect.2 <= frame.2
                    && rect.1 >= frame.1
                    && rect.3 <= frame.3;
                if inside && !taken.iter().any(|t| overlaps(&rect, t)) {
                    taken.push(rect);
                    return Some(Placed {
                        rect,
                        right,
                        above,
                        leader: step > 0,
                    });
                }
            }
            None
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_never_overlap_points_labels_or_the_frame() {
        // A crowded cluster: 12 points within 30 pixels.
        let points: Vec<(i32, i32)> = (0..12)
            .map(|k| (100 + (k % 4) * 10, 100 + (k / 4) * 10))
            .collect();
        let sizes = vec![(60, 12); 12];
        let frame = (0, 0, 300, 200);
        let placed = place(&points, &[3; 12], &sizes, frame, 2, &[]);
        let boxes: Vec<Rect> = placed.iter().flatten().map(|p| p.rect).collect();
        for (i, a) in boxes.iter().enumerate() {
            assert!(a.0 >= 0 && a.2 <= 300 && a.1 >= 0 && a.3 <= 200);
            for b in &boxes[i + 1..] {
                assert!(!overlaps(a, b));
            }
            for &(x, y) in &points {
                assert!(!overlaps(a, &(x - 3, y - 3, x + 3, y + 3)));
            }
        }
        // Not all fit: those get numbers.
        assert!(placed.iter().any(Option::is_none));
        assert!(placed.iter().any(Option::is_some));
    }
}
