//! A payload as a PNG QR code.
use crate::error::ApiError;

/// Pixels per QR module, and the quiet zone around the code, in modules.
const SCALE: usize = 8;
const QUIET: usize = 4;

/// `payload` as a black-on-white PNG QR code (error correction M).
pub fn png(payload: &str) -> Result<Vec<u8>, ApiError> {
    let code = qrcode::QrCode::with_error_correction_level(payload.as_bytes(), qrcode::EcLevel::M)
        .map_err(ApiError::internal)?;
    let modules = code.width();
    let colors = code.to_colors();
    let side = (modules + 2 * QUIET) * SCALE;
    let mut pixels = vec![255u8; side * side];
    for (i, c) in colors.iter().enumerate() {
        if *c != qrcode::Color::Dark {
            continue;
        }
        let (mx, my) = (i % modules + QUIET, i / modules + QUIET);
        for y in my * SCALE..(my + 1) * SCALE {
            pixels[y * side + mx * SCALE..y * side + (mx + 1) * SCALE].fill(0);
        }
    }
    let mut out = Vec::new();
    let mut enc = png::Encoder::new(&mut out, side as u32, side as u32);
    enc.set_color(png::ColorType::Grayscale);
    enc.set_depth(png::BitDepth::Eight);
    let mut w = enc.write_header().map_err(ApiError::internal)?;
    w.write_image_data(&pixels).map_err(ApiError::internal)?;
    w.finish().map_err(ApiError::internal)?;
    Ok(out)
}
