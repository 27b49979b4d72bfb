"""kinds/openapi"""
