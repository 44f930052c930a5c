//! A progressive JPEG decoded at a reduced DCT scale needs fewer of its
//! scans than a full decode: at n/8 scale libjpeg-turbo's IDCT reads only
//! the top-left n x n coefficients of each block, yet a full decode still
//! Huffman-decodes every coefficient of every scan. This finds the shortest
//! run of scans that gives every coefficient the scale reads, and ends the
//! file there (an EOI after that scan), so TurboJPEG decodes only those.
//!
//! TurboJPEG has no scan-by-scan decode (its TJPARAM_SCANLIMIT only
//! refuses), hence this: the file's markers are read here, and TurboJPEG
//! decodes the shorter file as it would any progressive JPEG that ends
//! early (libjpeg's block smoothing fills in from the neighbours what the
//! later scans would have refined).
//!
//! How much is enough: each coefficient the scale reads has had its first
//! scan, and is known to within its lowest bit, which the last refinement
//! scans would add. The standard scan script (libjpeg's, cameras', most
//! encoders') thus ends after 6 of its 10 scans at 1/4 to 7/8 scale, before
//! the last luma refinement, which alone is about half the file. (Two bits
//! short, 4 scans, loses more than the thumbnail's JPEG quality 80 does at
//! 1,024 px.) The difference from a full decode is measured in
//! handler/tests/images.rs against the loss of the thumbnail's own JPEG
//! encoding; the time saved, in `./dev thumbs`.
//!
//! Only ever a shortcut: anything unexpected (not progressive, arithmetic
//! coding, a malformed marker, a scan naming an unknown component) gives
//! `None`, and the whole file is decoded as before.

/// Natural-order (row, column) of each zigzag index, as the JPEG standard
/// orders coefficients in a scan (Figure A.6).
const ZIGZAG: [(u8, u8); 64] = {
    let mut out = [(0u8, 0u8); 64];
    let (mut r, mut c, mut i) = (0i32, 0i32, 0usize);
    while i < 64 {
        out[i] = (r as u8, c as u8);
        if (r + c) % 2 == 0 {
            // Moving up and to the right.
            if c == 7 {
                r += 1;
            } else if r == 0 {
                c += 1;
            } else {
                r -= 1;
                c += 1;
            }
        } else if r == 7 {
            c += 1;
        } else if c == 0 {
            r += 1;
        } else {
            r += 1;
            c -= 1;
        }
        i += 1;
    }
    out
};

/// The most precision bits a kept coefficient may still lack: the DC's
/// and the AC's (each later refinement scan adds one).
const DC_BITS_MISSING: u8 = 1;
const AC_BITS_MISSING: u8 = 1;

struct Component {
    id: u8,
    h: u8,
    v: u8,
}

struct Scan {
    /// Where its entropy-coded data ends (the next marker).
    end: usize,
    components: Vec<u8>,
    ss: u8,
    se: u8,
    ah: u8,
    al: u8,
}

/// The file cut after the last scan a decode at `n`/8 scale needs, with an
/// EOI, or `None` when every scan is needed (or the file is not a
/// progressive Huffman JPEG this understands).
pub fn needed_prefix(b: &[u8], n: usize) -> Option<Vec<u8>> {
    if !(1..8).contains(&n) {
        return None;
    }
    let (components, scans) = parse(b)?;
    let h_max = components.iter().map(|c| c.h).max()?;
    let v_max = components.iter().map(|c| c.v).max()?;
    // Per component: the zigzag indexes its scaled IDCT reads. A component
    // sampled less than the most is scaled up by its IDCT where it can, so
    // it may read more of its block (libjpeg-turbo's jdmaster.c).
    let needed: Vec<Vec<usize>> = components
        .iter()
        .map(|c| {
            let rows = (n * usize::from(v_max / c.v.max(1))).min(8);
            let cols = (n * usize::from(h_max / c.h.max(1))).min(8);
            (0..64)
                .filter(|&k| usize::from(ZIGZAG[k].0) < rows && usize::from(ZIGZAG[k].1) < cols)
                .collect()
        })
        .collect();
    // Per component and coefficient: the bits still missing (None: not yet
    // seen).
    let mut missing = vec![[None::<u8>; 64]; components.len()];
    for (i, scan) in scans.iter().enumerate() {
        if scan.se > 63 || scan.ss > scan.se {
            return None;
        }
        for id in &scan.components {
            let c = components.iter().position(|c| c.id == *id)?;
            for k in usize::from(scan.ss)..=usize::from(scan.se) {
                let known = &mut missing[c][k];
                // A first scan (Ah 0) or a refinement of one: Al bits left.
                if scan.ah == 0 || known.is_some() {
                    *known = Some(scan.al);
                }
            }
        }
        let enough = needed.iter().enumerate().all(|(c, ks)| {
            ks.iter().all(|&k| {
                let limit = if k == 0 {
                    DC_BITS_MISSING
                } else {
                    AC_BITS_MISSING
                };
                matches!(missing[c][k], Some(bits) if bits <= limit)
            })
        });
        if enough {
            if i + 1 == scans.len() {
                return None;
            }
            let mut cut = b[..scan.end].to_vec();
            cut.extend_from_slice(&[0xFF, 0xD9]);
            return Some(cut);
        }
    }
    None
}

/// The frame's components and every scan, from a progressive Huffman
/// JPEG's markers (SOF2); `None` for anything else or anything malformed.
fn parse(b: &[u8]) -> Option<(Vec<Component>, Vec<Scan>)> {
    if b.get(..2)? != [0xFF, 0xD8] {
        return None;
    }
    let mut components = None;
    let mut scans = Vec::new();
    let mut i = 2;
    loop {
        // Fill bytes (0xFF) may precede a marker.
        while *b.get(i)? == 0xFF && *b.get(i + 1)? == 0xFF {
            i += 1;
        }
        if *b.get(i)? != 0xFF {
            return None;
        }
        let marker = *b.get(i + 1)?;
        if marker == 0xD9 {
            break;
        }
        let len = usize::from(u16::from_be_bytes([*b.get(i + 2)?, *b.get(i + 3)?]));
        let segment = b.get(i + 4..i + 2 + len)?;
        match marker {
            // Progressive, Huffman-coded: the only frame this reads.
            0xC2 => components = Some(frame(segment)?),
            // Any other frame type (baseline, arithmetic, lossless...).
            0xC0 | 0xC1 | 0xC3 | 0xC5..=0xC7 | 0xC9..=0xCB | 0xCD..=0xCF => return None,
            0xDA => {
                components.as_ref()?;
                let end = entropy_end(b, i + 2 + len)?;
                scans.push(scan(segment, end)?);
                i = end;
                continue;
            }
            _ => {}
        }
        i += 2 + len;
    }
    Some((components?, scans))
}

fn frame(s: &[u8]) -> Option<Vec<Component>> {
    let count = usize::from(*s.get(5)?);
    (0..count)
        .map(|k| {
            let at = 6 + 3 * k;
            let sampling = *s.get(at + 1)?;
            Some(Component {
                id: *s.get(at)?,
                h: sampling >> 4,
                v: sampling & 0x0F,
            })
        })
        .collect()
}

fn scan(s: &[u8], end: usize) -> Option<Scan> {
    let count = usize::from(*s.first()?);
    let components = (0..count)
        .map(|k| s.get(1 + 2 * k).copied())
        .collect::<Option<Vec<u8>>>()?;
    let at = 1 + 2 * count;
    let approximation = *s.get(at + 2)?;
    Some(Scan {
        end,
        components,
        ss: *s.get(at)?,
        se: *s.get(at + 1)?,
        ah: approximation >> 4,
        al: approximation & 0x0F,
    })
}

/// Where a scan's entropy-coded data ends: the next marker that is not a
/// stuffed zero (0xFF00) or a restart marker (RST0-7).
fn entropy_end(b: &[u8], from: usize) -> Option<usize> {
    let mut i = from;
    loop {
        let at = i + b.get(i..)?.iter().position(|&x| x == 0xFF)?;
        match *b.get(at + 1)? {
            0x00 | 0xD0..=0xD7 | 0xFF => i = at + 1,
            _ => return Some(at),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zigzag_is_the_standards() {
        // JPEG Figure A.6: the first row of the zigzag, and its last index.
        assert_eq!(
            &ZIGZAG[..6],
            &[(0, 0), (0, 1), (1, 0), (2, 0), (1, 1), (0, 2)]
        );
        assert_eq!(ZIGZAG[63], (7, 7));
        let mut seen: Vec<_> = ZIGZAG.to_vec();
        seen.sort_unstable();
        seen.dedup();
        assert_eq!(seen.len(), 64);
    }

    /// libjpeg's standard script: 1 DC (Al 1); 2 Y 1-5 (Al 2); 3 Cr, 4 Cb
    /// 1-63 (Al 1); 5 Y 6-63 (Al 2); 6-10 the refinements.
    const PROGRESSIVE: &[u8] = include_bytes!("../../../tests/photos/seeding-progressive.jpg");

    fn scans_in(b: &[u8]) -> usize {
        parse(b).map_or(0, |(_, scans)| scans.len())
    }

    #[test]
    fn each_scale_keeps_the_scans_it_reads() {
        assert_eq!(scans_in(PROGRESSIVE), 10);
        // 1/4: Y's coefficients 1-4 (scan 2) to within a bit (scan 6), and
        // the chroma's, sampled at half and read 4x4 (scans 3, 4).
        let quarter = needed_prefix(PROGRESSIVE, 2).unwrap();
        assert_eq!(scans_in(&quarter), 6);
        assert_eq!(
            &quarter[..quarter.len() - 2],
            &PROGRESSIVE[..quarter.len() - 2]
        );
        assert_eq!(&quarter[quarter.len() - 2..], [0xFF, 0xD9]);
        // 1/8 reads only Y's DC (scan 1) and the chroma's 2x2 (3, 4).
        assert_eq!(scans_in(&needed_prefix(PROGRESSIVE, 1).unwrap()), 4);
        // 3/8 to 7/8 read Y beyond coefficient 5 (scan 5), refined by 6.
        for n in 3..=7 {
            assert_eq!(
                scans_in(&needed_prefix(PROGRESSIVE, n).unwrap()),
                6,
                "{n}/8"
            );
        }
        // The whole image needs every scan.
        assert_eq!(needed_prefix(PROGRESSIVE, 8), None);
    }

    #[test]
    fn a_cut_or_damaged_file_is_no_shortcut_and_no_panic() {
        for len in (0..PROGRESSIVE.len()).step_by(61) {
            let _ = needed_prefix(&PROGRESSIVE[..len], 2);
        }
        let mut damaged = PROGRESSIVE.to_vec();
        for at in (2..2000).step_by(7) {
            damaged[at] ^= 0x5A;
            let _ = needed_prefix(&damaged, 2);
        }
    }

    #[test]
    fn not_a_progressive_jpeg_has_no_prefix() {
        assert_eq!(needed_prefix(b"", 2), None);
        assert_eq!(needed_prefix(b"\xFF\xD8\xFF", 2), None);
        assert_eq!(needed_prefix(b"not a jpeg at all", 2), None);
    }
}
