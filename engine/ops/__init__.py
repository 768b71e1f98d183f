"""Operations around a deploy: pre-flight checks and the customer distribution package."""
