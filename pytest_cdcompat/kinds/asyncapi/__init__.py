"""kinds/asyncapi"""
