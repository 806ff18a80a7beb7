{
    "name": "Customer Complaint Management - SMS",
    "summary": "Complaint acknowledgements and updates by SMS through Iranian gateways",
    "version": "18.0.1.1.0",
    "category": "Services/Complaints",
    "website": "https://github.com/complaint-management/complaint-management",
    "author": "Complaint Management contributors",
    "license": "AGPL-3",
    "installable": True,
    "depends": ["complaint_management", "sms"],
    "external_dependencies": {"python": ["phonenumbers"]},
    "data": [
        "security/ir.model.access.csv",
        "data/sms_template_data.xml",
        "data/ir_cron_data.xml",
        "wizard/complaint_sms_gateway_test_views.xml",
        "views/complaint_sms_gateway_views.xml",
    ],
}
