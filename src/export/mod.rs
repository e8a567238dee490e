//! 导出：PDF、附表的 xlsx、网页版 HTML、CSV 单元格，以及先写临时文件再改名的原子写入。

pub mod csv;
pub mod html;
pub mod output;
pub mod pdf;
pub mod xlsx;
