"""Files made from figures the services assembled: the yearly evaluation of a center as PDF
(``pdf.evaluation_report``) and XLSX (``xlsx.evaluation_report``), the bureau's table of all
centers as XLSX (``xlsx.bureau_table``)."""
