//! 导出：PDF、附表的 xlsx、网页版 HTML、Word 版 docx、CSV 单元格，以及先写临时文件再改名的原子写入。
//! 网页版与 Word 版都由排好的文档读回的大纲（`typeset::outline`）写出，不另写句子。

pub mod csv;
pub mod docx;
pub mod html;
pub mod markup;
pub mod output;
pub mod pdf;
pub mod xlsx;
